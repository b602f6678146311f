list(APPEND APP_SOURCES
  identity/sodium_crypto.cpp
  identity/context.cpp
  identity/emails.cpp
  identity/accounts.cpp
  identity/sessions.cpp
  identity/api_tokens.cpp
  identity/organizations.cpp
  identity/invitations.cpp
  identity/policies.cpp)
list(APPEND APP_EXTRA_DEPS PkgConfig::SODIUM)
