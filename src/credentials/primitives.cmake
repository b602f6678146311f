# Crypto primitives, JCS, Multikey/did:key, Bitstring Status List and Data Integrity proofs.
list(APPEND CREDENTIALS_SOURCES
  jcs.cpp
  multibase.cpp
  ed25519.cpp
  multikey.cpp
  status_list.cpp
  data_integrity.cpp)
# eddsa-rdfc-2022 needs JSON-LD toRdf and RDFC-1.0; until both fragments exist the suite is
# linked as a stub that reports it as unavailable, so eddsa-jcs-2022 builds on its own.
if(EXISTS ${CMAKE_CURRENT_LIST_DIR}/rdfc.cmake AND EXISTS ${CMAKE_CURRENT_LIST_DIR}/jsonld.cmake)
  list(APPEND CREDENTIALS_SOURCES eddsa_rdfc.cpp)
else()
  list(APPEND CREDENTIALS_SOURCES eddsa_rdfc_unavailable.cpp)
endif()
