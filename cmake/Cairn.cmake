# cairn_add_module(NAME <m> SOURCES ... [DEPS ...] [PUBLIC_DEPS ...])
#   A static library target cairn_<m>. Sources are listed explicitly: the target list is the
#   dependency rule of ARCHITECTURE.md, so a module links only what it declares.
function(cairn_add_module)
  cmake_parse_arguments(M "" "NAME" "SOURCES;DEPS;PUBLIC_DEPS" ${ARGN})
  add_library(cairn_${M_NAME} STATIC ${M_SOURCES})
  target_include_directories(cairn_${M_NAME} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(cairn_${M_NAME} PUBLIC ${M_PUBLIC_DEPS} PRIVATE ${M_DEPS})
endfunction()

# cairn_add_test(NAME <t> SOURCES ... DEPS ... [LABELS ...])
#   A GoogleTest executable; each TEST becomes a ctest test. Labels: unit, db, smtp, e2e.
function(cairn_add_test)
  cmake_parse_arguments(T "" "NAME" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE ${T_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  target_compile_definitions(${T_NAME} PRIVATE
    CAIRN_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    CAIRN_STANDARDS_DIR="${PROJECT_SOURCE_DIR}/tests/data/standards")
  if(NOT T_LABELS)
    set(T_LABELS unit)
  endif()
  gtest_discover_tests(${T_NAME} PROPERTIES LABELS "${T_LABELS}" DISCOVERY_TIMEOUT 60)
endfunction()
