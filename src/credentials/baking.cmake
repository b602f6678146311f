# Open Badges 3.0 baking (PNG iTXt, SVG), the default badge image (librsvg + cairo) and the
# hand-written OB 3.0 / CLR 2.0 structure check.
list(APPEND CREDENTIALS_SOURCES
  baking.cpp
  png_baking.cpp
  svg_baking.cpp
  badge_image.cpp
  ob_structure.cpp)
list(APPEND CREDENTIALS_EXTRA_DEPS PkgConfig::RSVG PkgConfig::CAIRO)
