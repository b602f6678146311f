# A listed source that does not exist fails the configure. While several people build one tree at
# once, -DCAIRN_STRICT=OFF drops such a source with a warning instead, so half-written parts of
# others do not break everyone's configure.
option(CAIRN_STRICT "Fail when a listed source file is missing" ON)

function(_cairn_existing out)
  set(kept)
  foreach(src ${ARGN})
    if(IS_ABSOLUTE "${src}" OR "${src}" MATCHES "^\\$<")
      set(path "${src}")
    else()
      set(path "${CMAKE_CURRENT_SOURCE_DIR}/${src}")
    endif()
    if(EXISTS "${path}" OR "${src}" MATCHES "^\\$<" OR "${src}" MATCHES "${CMAKE_BINARY_DIR}")
      list(APPEND kept "${src}")
    elseif(CAIRN_STRICT)
      message(FATAL_ERROR "missing source ${path}")
    else()
      message(WARNING "skipping missing source ${path}")
    endif()
  endforeach()
  set(${out} "${kept}" PARENT_SCOPE)
endfunction()

# cairn_add_module(NAME <m> SOURCES ... [DEPS ...] [PUBLIC_DEPS ...])
#   A static library target cairn_<m>. Sources are listed explicitly: the target list is the
#   dependency rule of ARCHITECTURE.md, so a module links only what it declares.
function(cairn_add_module)
  cmake_parse_arguments(M "" "NAME" "SOURCES;DEPS;PUBLIC_DEPS" ${ARGN})
  _cairn_existing(srcs ${M_SOURCES})
  if(NOT srcs)
    message(WARNING "module ${M_NAME} has no sources yet; skipped")
    return()
  endif()
  add_library(cairn_${M_NAME} STATIC ${srcs})
  target_include_directories(cairn_${M_NAME} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(cairn_${M_NAME} PUBLIC ${M_PUBLIC_DEPS} PRIVATE ${M_DEPS})
endfunction()

# cairn_add_test(NAME <t> SOURCES ... DEPS ... [LABELS ...])
#   A GoogleTest executable; each TEST becomes a ctest test. Labels: unit, db, smtp, e2e.
function(cairn_add_test)
  cmake_parse_arguments(T "" "NAME" "SOURCES;DEPS;LABELS" ${ARGN})
  _cairn_existing(srcs ${T_SOURCES})
  if(NOT srcs)
    message(WARNING "test ${T_NAME} has no sources yet; skipped")
    return()
  endif()
  add_executable(${T_NAME} ${srcs})
  target_link_libraries(${T_NAME} PRIVATE ${T_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  target_compile_definitions(${T_NAME} PRIVATE
    CAIRN_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    CAIRN_STANDARDS_DIR="${PROJECT_SOURCE_DIR}/tests/data/standards")
  if(NOT T_LABELS)
    set(T_LABELS unit)
  endif()
  gtest_discover_tests(${T_NAME} PROPERTIES LABELS "${T_LABELS}" DISCOVERY_TIMEOUT 60)
endfunction()

# cairn_embed_files(TARGET <t> FUNCTION <qualified name> FILES ...)
#   Compiles FILES into target t, reachable as std::span<const cairn::EmbeddedFile> FUNCTION().
function(cairn_embed_files)
  cmake_parse_arguments(E "" "TARGET;FUNCTION" "FILES" ${ARGN})
  string(REPLACE "::" "_" stem "${E_FUNCTION}")
  set(out ${CMAKE_CURRENT_BINARY_DIR}/embedded_${stem}.cpp)
  string(REPLACE ";" "|" files "${E_FILES}")  # a ;-list would split into separate arguments
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} "-DFILES=${files}" -DFUNCTION=${E_FUNCTION} -DOUT=${out}
            -P ${PROJECT_SOURCE_DIR}/cmake/embed_files.cmake
    DEPENDS ${E_FILES} ${PROJECT_SOURCE_DIR}/cmake/embed_files.cmake
    COMMENT "Embedding ${E_FUNCTION}" VERBATIM)
  target_sources(${E_TARGET} PRIVATE ${out})
endfunction()

# Includes every fragment matching the glob patterns, in name order. Each area of the product keeps
# its sources in its own fragment, so adding an area never edits a shared list; the glob is
# re-checked on every build, so a new fragment is picked up by itself.
macro(cairn_include_fragments)
  file(GLOB _cairn_fragments CONFIGURE_DEPENDS ${ARGN})
  list(SORT _cairn_fragments)
  foreach(_cairn_fragment IN LISTS _cairn_fragments)
    include(${_cairn_fragment})
  endforeach()
endmacro()
