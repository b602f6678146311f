# N-Quads and RDF Dataset Canonicalization (RDFC-1.0).
list(APPEND CREDENTIALS_SOURCES nquads.cpp rdfc.cpp)
