# Crypto primitives, JCS, Multikey/did:key, Bitstring Status List and Data Integrity proofs.
list(APPEND CREDENTIALS_SOURCES
  jcs.cpp
  multibase.cpp
  ed25519.cpp
  multikey.cpp
  status_list.cpp
  data_integrity.cpp
  eddsa_rdfc.cpp)
