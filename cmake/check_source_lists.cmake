# ctest entry `source_lists`: fails when a .cpp under src/ or tests/native is in none of CMakeLists.txt's
# source lists (which the configure step writes, one path a line, into LISTED), so a file that was
# forgotten cannot silently drop out of the build; also fails when a listed file no longer exists.
#   cmake -DROOT=<source dir> -DLISTED=<build dir>/listed_sources.txt -P cmake/check_source_lists.cmake
cmake_minimum_required(VERSION 3.21)
file(STRINGS "${LISTED}" listed)
file(GLOB_RECURSE found RELATIVE "${ROOT}" "${ROOT}/src/*.cpp" "${ROOT}/tests/native/*.cpp")
set(problems "")
foreach(path IN LISTS found)
  if(NOT path IN_LIST listed)
    string(APPEND problems "  ${path} is in no source list of CMakeLists.txt\n")
  endif()
endforeach()
foreach(path IN LISTS listed)
  if(NOT EXISTS "${ROOT}/${path}")
    string(APPEND problems "  ${path} is listed in CMakeLists.txt but does not exist\n")
  endif()
endforeach()
if(problems)
  message(FATAL_ERROR "source lists out of date:\n${problems}")
endif()
list(LENGTH found count)
message(STATUS "source lists: all ${count} .cpp files under src/ and tests/native are listed")
