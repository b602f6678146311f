# The verification engine end to end: 1EdTech's fixtures and test vectors, self-signed and
# tampered credentials, status lists and key resolution over a real local HTTP server
# (python3 -m http.server style), and the libcurl fetcher's SSRF guard, limits and cache.
cairn_add_test(NAME credentials_verifier_test
  SOURCES verifier_test.cpp
  DEPS cairn_credentials)
cairn_add_test(NAME credentials_fetcher_test
  SOURCES fetcher_test.cpp
  DEPS cairn_credentials)
