# Public pages: view models, use cases and mustache rendering. The templates, stylesheet and
# script are compiled in (cmake/embed_files.cmake), so the binary serves them from anywhere.
list(APPEND APP_SOURCES
  pages/page_views.cpp
  pages/page_renderer.cpp
  pages/credential_view.cpp
  pages/pages.cpp)
set(_pages_templates
  ${CMAKE_CURRENT_SOURCE_DIR}/pages/templates/layout.mustache
  ${CMAKE_CURRENT_SOURCE_DIR}/pages/templates/credential.mustache
  ${CMAKE_CURRENT_SOURCE_DIR}/pages/templates/portfolio.mustache
  ${CMAKE_CURRENT_SOURCE_DIR}/pages/templates/verify.mustache
  ${CMAKE_CURRENT_SOURCE_DIR}/pages/templates/not_found.mustache
  ${CMAKE_CURRENT_SOURCE_DIR}/pages/templates/pages.css
  ${CMAKE_CURRENT_SOURCE_DIR}/pages/templates/verify.js)
# cairn_embed_files needs the target, which app/CMakeLists.txt creates after reading every
# fragment, so the same generator runs here and its output joins the source list.
set(_pages_embedded ${CMAKE_CURRENT_BINARY_DIR}/embedded_CairnPageFiles.cpp)
string(REPLACE ";" "|" _pages_files "${_pages_templates}")
add_custom_command(OUTPUT ${_pages_embedded}
  COMMAND ${CMAKE_COMMAND} "-DFILES=${_pages_files}" -DFUNCTION=CairnPageFiles -DOUT=${_pages_embedded}
          -P ${PROJECT_SOURCE_DIR}/cmake/embed_files.cmake
  DEPENDS ${_pages_templates} ${PROJECT_SOURCE_DIR}/cmake/embed_files.cmake
  COMMENT "Embedding the public pages' templates" VERBATIM)
list(APPEND APP_SOURCES ${_pages_embedded})
