# Signature is cairn_add_fuzzer(<name> SOURCES ... DEPS ...), see fuzz/CMakeLists.txt.
cairn_add_fuzzer(http_router_fuzz SOURCES http_router_fuzz.cpp DEPS cairn_http)
