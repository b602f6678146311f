# JSON-LD expansion and toRdf: published vectors, errors and limits, and a comparison of every
# JSON document under tests/data/standards with the npm jsonld reference (node/jsonld_canonize.mjs).
cairn_add_test(NAME credentials_jsonld_test
  SOURCES jsonld_test.cpp jsonld_reference_test.cpp
  DEPS cairn_credentials nlohmann_json::nlohmann_json)
