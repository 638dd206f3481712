# PKCS#11 keys end to end with real SoftHSM2 (Debian softhsm2; the test
# needs its module, softhsm2-util, and pkcs11-tool from opensc for a P-256
# key), plus the pure URI parser. Included from tests/CMakeLists.txt, so
# paths are relative to tests/.
dmp_add_gtest(dmp_pkcs11_uri_tests pkcs11/pkcs11_uri_test.cpp)
target_link_libraries(dmp_pkcs11_uri_tests PRIVATE dmp_sign_core)

if(TARGET dmp-sign-pkcs11)
  dmp_add_gtest(dmp_pkcs11_encoding_tests pkcs11/ed25519_encoding_test.cpp)
  target_link_libraries(dmp_pkcs11_encoding_tests PRIVATE dmp_pkcs11_helper_core)
  set(DMP_SOFTHSM_MODULE "/usr/lib/softhsm/libsofthsm2.so" CACHE FILEPATH
      "SoftHSM2's PKCS#11 module, for the PKCS#11 tests")
  # Not REQUIRED: without them the tests fail with a message saying what to
  # install (scripts/install-deps.sh), rather than being skipped.
  find_program(DMP_SOFTHSM2_UTIL softhsm2-util)
  find_program(DMP_PKCS11_TOOL pkcs11-tool)
  # Test-only modules over SoftHSM2 that misbehave (wrap_module.c).
  foreach(kind IN ITEMS BAD_SIGNATURE PIN_LOCKED)
    string(TOLOWER ${kind} lower)
    add_library(dmp-p11-wrap-${lower} MODULE pkcs11/wrap_module.c)
    target_include_directories(dmp-p11-wrap-${lower} SYSTEM PRIVATE ${P11KIT_INCLUDE_DIRS})
    target_compile_definitions(dmp-p11-wrap-${lower} PRIVATE DMP_WRAP_${kind}=1
      DMP_SOFTHSM_MODULE="${DMP_SOFTHSM_MODULE}")
    target_link_libraries(dmp-p11-wrap-${lower} PRIVATE ${CMAKE_DL_LIBS})
  endforeach()

  dmp_add_gtest(dmp_pkcs11_cli_tests pkcs11/pkcs11_cli_test.cpp)
  target_compile_definitions(dmp_pkcs11_cli_tests PRIVATE
    DMP_SIGN_PKCS11_BIN="$<TARGET_FILE:dmp-sign-pkcs11>"
    DMP_SOFTHSM_MODULE="${DMP_SOFTHSM_MODULE}"
    DMP_SOFTHSM2_UTIL="${DMP_SOFTHSM2_UTIL}"
    DMP_PKCS11_TOOL="${DMP_PKCS11_TOOL}"
    DMP_P11_BAD_SIGNATURE_MODULE="$<TARGET_FILE:dmp-p11-wrap-bad_signature>"
    DMP_P11_PIN_LOCKED_MODULE="$<TARGET_FILE:dmp-p11-wrap-pin_locked>"
    DMP_P11_LSAN_SUPPRESSIONS="${CMAKE_CURRENT_SOURCE_DIR}/pkcs11/lsan_helper.supp")
  add_dependencies(dmp_pkcs11_cli_tests dmp-sign dmp-verify dmp-sign-pkcs11
    dmp-p11-wrap-bad_signature dmp-p11-wrap-pin_locked)
endif()
