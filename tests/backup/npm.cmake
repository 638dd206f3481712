# SLIP-39 across implementations: backup/slip39_npm_test.cpp combines our shares with the npm
# package slip39 (github.com/ilap/slip39-js, written apart from ours) and its shares with ours,
# through backup/npm/slip39_tool.js. The fixture backup.slip39_npm_install copies backup/npm/ into
# the build tree and installs there what package-lock.json pins (npm ci: that version, checked
# against the lock's integrity hash). Only where npm is found; under CI a missing npm is a
# configure error, as the tests would otherwise not exist and so not fail. Included from
# tests/CMakeLists.txt (through backup/backup.cmake), so paths are relative to tests/.

# backup.slip39_npm_install runs this file as a script (cmake -P): a fresh copy, then npm ci.
if(CMAKE_SCRIPT_MODE_FILE)
  file(REMOVE_RECURSE "${DMP_SLIP39_NPM_DIR}")
  file(COPY "${DMP_SLIP39_NPM_SOURCE}/" DESTINATION "${DMP_SLIP39_NPM_DIR}"
    PATTERN node_modules EXCLUDE)
  execute_process(COMMAND "${DMP_NPM}" ci --no-audit --no-fund
    WORKING_DIRECTORY "${DMP_SLIP39_NPM_DIR}" COMMAND_ERROR_IS_FATAL ANY)
  return()
endif()

find_program(DMP_NPM npm)
# CI as support/prerequisite.hpp reads it: set, and neither "false" nor "0".
if(NOT DMP_NPM AND NOT "$ENV{CI}" STREQUAL "" AND NOT "$ENV{CI}" STREQUAL "false"
   AND NOT "$ENV{CI}" STREQUAL "0")
  message(FATAL_ERROR "npm not found, and CI is set: CI runs the SLIP-39 tests against the npm "
    "package slip39 (tests/backup/npm.cmake). Install npm (Debian: apt-get install npm) or point "
    "DMP_NPM at it.")
elseif(NOT DMP_NPM)
  message(STATUS "npm not found: no SLIP-39 tests against the npm package slip39")
endif()

if(DMP_NPM)
  set(DMP_SLIP39_NPM_DIR "${CMAKE_CURRENT_BINARY_DIR}/slip39_npm")
  add_test(NAME backup.slip39_npm_install
    COMMAND ${CMAKE_COMMAND} "-DDMP_NPM=${DMP_NPM}"
            "-DDMP_SLIP39_NPM_SOURCE=${CMAKE_CURRENT_SOURCE_DIR}/backup/npm"
            "-DDMP_SLIP39_NPM_DIR=${DMP_SLIP39_NPM_DIR}" -P "${CMAKE_CURRENT_LIST_FILE}")
  set_tests_properties(backup.slip39_npm_install PROPERTIES FIXTURES_SETUP slip39_npm TIMEOUT 300)

  # As dmp_add_gtest (tests/CMakeLists.txt) makes a test executable, but its gtest_discover_tests
  # takes no properties, and every test here needs the installed package.
  add_executable(dmp_backup_npm_tests backup/slip39_npm_test.cpp backup/backup_npm_cli_test.cpp)
  add_dependencies(dmp_backup_npm_tests dmp-sign)
  target_include_directories(dmp_backup_npm_tests PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  target_compile_definitions(dmp_backup_npm_tests PRIVATE
    DMP_DEFAULT_VECTORS_DIR="${DMP_DEFAULT_VECTORS_DIR}"
    DMP_SLIP39_NPM_DIR="${DMP_SLIP39_NPM_DIR}"
    DMP_VERIFY_BIN="$<TARGET_FILE:dmp-verify>"
    DMP_SIGN_BIN="$<TARGET_FILE:dmp-sign>"
    DMP_SIGN_FAULTY_BIN="$<TARGET_FILE:dmp-sign-faulty>")
  target_link_libraries(dmp_backup_npm_tests PRIVATE dmp_warnings dmp::verify dmp_sign_core
    GTest::gtest GTest::gtest_main nlohmann_json::nlohmann_json PkgConfig::SODIUM)
  gtest_discover_tests(dmp_backup_npm_tests DISCOVERY_TIMEOUT 60
    PROPERTIES FIXTURES_REQUIRED slip39_npm)
endif()
