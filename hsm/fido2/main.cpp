// dmp-sign-fido2: the release FIDO2 helper, USB HID tokens only.
#include "helper_main.hpp"
#include "hid_devices.hpp"

int main(int argc, char** argv) {
  dmp::hsm::fido2::HidDevices devices;
  return dmp::hsm::fido2::helper_main(argc, argv, devices);
}
