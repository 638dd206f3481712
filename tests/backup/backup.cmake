# SLIP-39 paper backups (signer/backup): the standard's published vectors
# (../shared/vectors/slip39_vectors.json, read at test time), the embedded word
# list against ../shared/data/slip39_wordlist.txt, and splitting, combining and
# refusing share sets in process. Included from tests/CMakeLists.txt, so paths
# are relative to tests/.
dmp_add_gtest(dmp_backup_tests
  backup/slip39_test.cpp
)
target_compile_definitions(dmp_backup_tests PRIVATE
  DMP_SHARED_DATA_DIR="${PROJECT_SOURCE_DIR}/../shared/data")
target_link_libraries(dmp_backup_tests PRIVATE dmp_sign_core)

# The embedded word list is what scripts/slip39-wordlist.py makes from the
# standard's file.
find_package(Python3 COMPONENTS Interpreter REQUIRED)
add_test(NAME backup.slip39_wordlist_is_generated
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/scripts/slip39-wordlist.py --check)

# dmp-sign backup split / restore / check end to end, the real binary: sheets
# on disk, the restore drill, refusals, typed shares on a pseudo-terminal and
# --print.
dmp_add_gtest(dmp_backup_cli_tests
  backup/backup_cli_test.cpp
  backup/backup_terminal_test.cpp
)
target_link_libraries(dmp_backup_cli_tests PRIVATE dmp_sign_core)
add_dependencies(dmp_backup_cli_tests dmp-sign)

include(backup/npm.cmake)
