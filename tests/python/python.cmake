# The dmpverify Python binding (manifest/python), loaded from the build tree
# by the real interpreter. Not under sanitizers: an ASan-built library cannot
# be dlopen()ed into an interpreter that was not started with the runtime.
if(DMP_SHARED_VERIFY AND NOT DMP_SANITIZE)
  # Debian's python3 first: the one the .deb serves, with python3-jsonschema.
  find_program(DMP_PYTHON3 python3 PATHS /usr/bin NO_DEFAULT_PATH)
  if(NOT DMP_PYTHON3)
    find_package(Python3 3.9 COMPONENTS Interpreter REQUIRED)
    set(DMP_PYTHON3 ${Python3_EXECUTABLE})
  endif()
  add_test(NAME python.dmpverify
    COMMAND ${DMP_PYTHON3} -m unittest -v test_dmpverify
    WORKING_DIRECTORY ${CMAKE_CURRENT_LIST_DIR})
  set_tests_properties(python.dmpverify PROPERTIES
    ENVIRONMENT "PYTHONPATH=${DMP_PYTHON_BUILD_DIR};PYTHONDONTWRITEBYTECODE=1;DMP_VECTORS_DIR=${DMP_DEFAULT_VECTORS_DIR};DMP_VERIFY_BIN=$<TARGET_FILE:dmp-verify>"
    TIMEOUT 300)
  # Every JSON output of dmp-sign against docs/schema/ (the binding is not used).
  add_test(NAME python.json_schemas
    COMMAND ${DMP_PYTHON3} -m unittest -v test_json_schemas
    WORKING_DIRECTORY ${CMAKE_CURRENT_LIST_DIR})
  set_tests_properties(python.json_schemas PROPERTIES
    ENVIRONMENT "PYTHONDONTWRITEBYTECODE=1;DMP_SIGN_BIN=$<TARGET_FILE:dmp-sign>"
    TIMEOUT 300)
endif()
