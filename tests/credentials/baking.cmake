# Baking round trips, hostile PNG/SVG input, the rendered default badge, and the OB 3.0 structure
# check over every 1EdTech validator fixture and official example.
cairn_add_test(NAME credentials_baking_test
  SOURCES baking_test.cpp
  DEPS cairn_credentials PkgConfig::PNG ZLIB::ZLIB)
cairn_add_test(NAME credentials_ob_structure_test
  SOURCES ob_structure_test.cpp
  DEPS cairn_credentials nlohmann_json::nlohmann_json)
