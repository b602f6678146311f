# Public pages: credential page, badge downloads, portfolio, /verify form.
list(APPEND HTTP_SOURCES
  handlers/page_handlers.cpp
  handlers/page_form.cpp
  handlers/page_verification.cpp)
list(APPEND HTTP_EXTRA_DEPS cairn_app cairn_credentials)
