cairn_add_test(NAME catalog_app_test
  SOURCES catalog/markdown_test.cpp
  DEPS cairn_app)
