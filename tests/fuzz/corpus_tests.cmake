# Included from tests/CMakeLists.txt in ordinary (GCC) test builds: every
# libFuzzer target tests/fuzz/fuzz_<name>.cpp is also compiled with a plain
# main() (corpus_driver.cpp) and registered as the ctest test
# corpus.fuzz_<name>, which replays tests/fuzz/corpus/fuzz_<name>/ once. So the
# seed corpora and any committed findings run under the asan preset too.
# The libFuzzer build itself is tests/fuzz/CMakeLists.txt (preset "fuzz").
set(DMP_FUZZ_DIR "${CMAKE_CURRENT_LIST_DIR}")
file(GLOB DMP_FUZZ_TARGET_SOURCES CONFIGURE_DEPENDS "${DMP_FUZZ_DIR}/fuzz_*.cpp")
list(SORT DMP_FUZZ_TARGET_SOURCES)

# FuzzedDataProvider.h is header-only and ships with clang's compiler-rt
# headers. Copy just that header into the build tree: clang's include
# directory itself (stddef.h, intrinsics, ...) must not be on GCC's path.
# Without it, fuzz_roundtrip.cpp falls back to its own equivalent provider.
set(DMP_FUZZ_INCLUDE_DIR "${CMAKE_CURRENT_BINARY_DIR}/fuzz_include")
file(GLOB DMP_FDP_CANDIDATES
  "/usr/lib/llvm-*/lib/clang/*/include/fuzzer/FuzzedDataProvider.h"
  "/usr/lib/clang/*/include/fuzzer/FuzzedDataProvider.h")
if(DMP_FDP_CANDIDATES)
  list(SORT DMP_FDP_CANDIDATES COMPARE NATURAL ORDER DESCENDING)
  list(GET DMP_FDP_CANDIDATES 0 DMP_FDP_HEADER)
  configure_file("${DMP_FDP_HEADER}" "${DMP_FUZZ_INCLUDE_DIR}/fuzzer/FuzzedDataProvider.h" COPYONLY)
else()
  message(STATUS "FuzzedDataProvider.h not found: fuzz_roundtrip uses its built-in provider")
endif()

function(dmp_fuzz_target_for_gcc target)
  target_include_directories(${target} PRIVATE "${PROJECT_SOURCE_DIR}/tests")
  if(DMP_FDP_CANDIDATES)
    target_include_directories(${target} SYSTEM PRIVATE "${DMP_FUZZ_INCLUDE_DIR}")
  endif()
  target_link_libraries(${target} PRIVATE dmp_warnings dmp::verify PkgConfig::SODIUM)
endfunction()

foreach(source IN LISTS DMP_FUZZ_TARGET_SOURCES)
  get_filename_component(name "${source}" NAME_WE)
  if(NOT IS_DIRECTORY "${DMP_FUZZ_DIR}/corpus/${name}")
    message(FATAL_ERROR "fuzz target ${name} has no seed corpus in tests/fuzz/corpus/${name}")
  endif()
  add_executable(${name}_corpus "${source}" "${DMP_FUZZ_DIR}/corpus_driver.cpp")
  dmp_fuzz_target_for_gcc(${name}_corpus)
  add_test(NAME corpus.${name} COMMAND ${name}_corpus "${DMP_FUZZ_DIR}/corpus/${name}")
endforeach()

# Targets over signer/ code (unsigned-record input, ledger) also need dmp-sign's core.
foreach(name IN ITEMS fuzz_unsigned_json fuzz_ledger fuzz_ledger_head fuzz_slip39_mnemonic
                     fuzz_share_sheet fuzz_key_file fuzz_fido2_key_file
                     fuzz_pkcs11_uri fuzz_rotation_request fuzz_qr_frames)
  if(TARGET ${name}_corpus)
    target_link_libraries(${name}_corpus PRIVATE dmp_sign_core)
  endif()
endforeach()
# The helper pipe protocol lives in hsm/.
target_link_libraries(fuzz_helper_protocol_corpus PRIVATE dmp_hsm)

# The seed generator (not a test): dmp-fuzz-seeds tests/fuzz/corpus rewrites
# the seed-NN files, checking each against the verdict it was made for.
add_executable(dmp-fuzz-seeds "${DMP_FUZZ_DIR}/make_seeds.cpp" "${DMP_FUZZ_DIR}/fuzz_roundtrip.cpp")
dmp_fuzz_target_for_gcc(dmp-fuzz-seeds)
