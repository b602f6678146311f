list(APPEND CORE_SOURCES review/assignment.cpp)
list(APPEND CORE_SOURCES review/review.cpp review/calibration.cpp review/review_rule.cpp)
