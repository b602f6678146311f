# The verification engine: per-check reports, key resolution (did:key, did:web, controller
# documents) and the libcurl fetcher with its SSRF guard and cache.
list(APPEND CREDENTIALS_SOURCES verifier.cpp controller_resolution.cpp fetcher.cpp)
list(APPEND CREDENTIALS_EXTRA_DEPS CURL::libcurl)
