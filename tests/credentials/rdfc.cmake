# N-Quads and RDFC-1.0: the W3C suite (one ctest per manifest entry), round trips, malformed input,
# and a byte-for-byte comparison with the npm rdf-canonize reference (node/rdfc_canonize.mjs).
cairn_add_test(NAME credentials_rdfc_test
  SOURCES rdfc_test.cpp nquads_test.cpp rdfc_reference_test.cpp
  DEPS cairn_credentials nlohmann_json::nlohmann_json)
