# Release-engineering checks on the built artefacts (issue: static, hardened,
# installable). Only meaningful for the static, hardened release build.
if(DMP_STATIC_CLI AND DMP_HARDEN AND NOT DMP_SANITIZE)
  add_test(NAME release.static_binaries_run_in_empty_root
    COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/static_run.sh $<TARGET_FILE:dmp-sign> $<TARGET_FILE:dmp-verify>)
  set(dmp_hardened_files $<TARGET_FILE:dmp-sign> $<TARGET_FILE:dmp-verify>)
  if(DMP_SHARED_VERIFY)
    list(APPEND dmp_hardened_files $<TARGET_FILE:dmp_verify_shared>)
  endif()
  if(TARGET dmp-sign-fido2)
    list(APPEND dmp_hardened_files $<TARGET_FILE:dmp-sign-fido2>)
  endif()
  if(TARGET dmp-sign-pkcs11)
    list(APPEND dmp_hardened_files $<TARGET_FILE:dmp-sign-pkcs11>)
  endif()
  if(TARGET dmp-sign-qrscan)
    list(APPEND dmp_hardened_files $<TARGET_FILE:dmp-sign-qrscan>)
  endif()
  add_test(NAME release.hardening_flags
    COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/hardening.sh ${dmp_hardened_files})
  add_test(NAME release.install_and_consumers
    COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/install_consumers.sh ${PROJECT_BINARY_DIR}
            ${PROJECT_SOURCE_DIR})
  set_tests_properties(release.install_and_consumers PROPERTIES TIMEOUT 300)
endif()
add_test(NAME release.shell_completion
  COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/completion.sh ${PROJECT_SOURCE_DIR}/completions)

# dmp-sign(1)'s COMMANDS section is made from every subcommand's --help
# (scripts/man-commands.py); the page must match the binary, and dmp-verify(1)
# must list every option of its --help.
find_program(DMP_MAN_PYTHON3 python3 REQUIRED)
add_test(NAME release.man_pages_list_every_option
  COMMAND ${DMP_MAN_PYTHON3} ${PROJECT_SOURCE_DIR}/scripts/man-commands.py --check
          $<TARGET_FILE:dmp-sign> $<TARGET_FILE:dmp-verify> ${PROJECT_SOURCE_DIR}/doc/man)

# The bash, zsh and fish completions are made from the same --help texts
# (scripts/completions.py); they must match the binaries.
add_test(NAME release.completions_match_help
  COMMAND ${DMP_MAN_PYTHON3} ${PROJECT_SOURCE_DIR}/scripts/completions.py --check
          $<TARGET_FILE:dmp-sign> $<TARGET_FILE:dmp-verify> ${PROJECT_SOURCE_DIR}/completions)
