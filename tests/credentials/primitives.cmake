# Tests of the crypto primitives, JCS, status lists and Data Integrity proofs.
cairn_add_test(NAME credentials_primitives_test
  SOURCES jcs_test.cpp multibase_test.cpp ed25519_test.cpp status_list_test.cpp
  DEPS cairn_credentials)
cairn_add_test(NAME credentials_di_jcs_test
  SOURCES di_jcs_test.cpp
  DEPS cairn_credentials)
# eddsa-rdfc-2022 needs the JSON-LD and RDFC-1.0 engines (see src/credentials/primitives.cmake).
if(EXISTS ${PROJECT_SOURCE_DIR}/src/credentials/rdfc.cmake AND
   EXISTS ${PROJECT_SOURCE_DIR}/src/credentials/jsonld.cmake)
  cairn_add_test(NAME credentials_di_rdfc_test
    SOURCES di_rdfc_test.cpp
    DEPS cairn_credentials)
  # Canonicalizing a member shared by many documents once (bulk issuing) changes no result.
  cairn_add_test(NAME credentials_shared_node_test
    SOURCES shared_node_test.cpp
    DEPS cairn_credentials)
endif()
