list(APPEND APP_SOURCES
  notify/notify.cpp
  notify/email.cpp
  notify/inbox.cpp)
