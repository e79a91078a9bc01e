# `cpack` in the build folder makes lantern_<version>_amd64.deb: the server, the simulator,
# the console's files, the systemd units and the backup timer, /etc/lantern/lantern.toml as
# a conffile; postinst makes the lantern system user and /var/lib/lantern.
# tests/package.sh builds it, runs lintian on it and installs it.
include(GNUInstallDirs)
set(package_files ${CMAKE_CURRENT_LIST_DIR})

install(TARGETS lantern-server lantern-sim RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/operator-console/ DESTINATION ${CMAKE_INSTALL_DATADIR}/lantern/console)
install(FILES ${package_files}/lantern.service ${package_files}/lantern-backup.service
  ${package_files}/lantern-backup.timer DESTINATION /lib/systemd/system)
install(PROGRAMS ${package_files}/lantern-backup DESTINATION lib/lantern)
install(FILES ${package_files}/lantern.toml DESTINATION /etc/lantern)
install(FILES ${package_files}/copyright ${PROJECT_SOURCE_DIR}/README.md
  ${PROJECT_SOURCE_DIR}/deploy/lantern.example.toml ${PROJECT_SOURCE_DIR}/deploy/CENTRE-FILE.md
  ${PROJECT_SOURCE_DIR}/deploy/demo-centre.json
  DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/deploy/prometheus ${PROJECT_SOURCE_DIR}/deploy/grafana
  DESTINATION ${CMAKE_INSTALL_DOCDIR} PATTERN "*_test.yml" EXCLUDE)
# Debian wants the changelog compressed, reproducibly (no name or time in the gzip header).
add_custom_command(OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/changelog.gz
  COMMAND gzip -9nc ${package_files}/changelog > ${CMAKE_CURRENT_BINARY_DIR}/changelog.gz
  DEPENDS ${package_files}/changelog)
add_custom_target(lantern_changelog ALL DEPENDS ${CMAKE_CURRENT_BINARY_DIR}/changelog.gz)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/changelog.gz DESTINATION ${CMAKE_INSTALL_DOCDIR})

# Manual pages from each program's --help (help2man), so `man lantern-server` says what --help does.
foreach(program lantern-server lantern-sim)
  add_custom_command(OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/${program}.1.gz
    COMMAND help2man --no-info --no-discard-stderr --version-string=${PROJECT_VERSION} --section=1
      "--name=part of Lantern, the telecare monitoring centre server" --output=${program}.1
      $<TARGET_FILE:${program}>
    COMMAND gzip -9nf ${program}.1
    DEPENDS ${program} VERBATIM)
  list(APPEND manual_pages ${CMAKE_CURRENT_BINARY_DIR}/${program}.1.gz)
endforeach()
add_custom_target(lantern_manual_pages ALL DEPENDS ${manual_pages})
install(FILES ${manual_pages} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME lantern)
set(CPACK_PACKAGE_VENDOR "Lantern")
set(CPACK_PACKAGE_CONTACT "Lantern engineers <engineers@lantern.example.org>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "telecare monitoring centre server")
set(CPACK_PACKAGE_DESCRIPTION "Lantern receives alarms from personal alarms, fall detectors
and smoke detectors in people's homes, stores each durably before acknowledging
it, and puts it on operators' live consoles with the person's response plan.
It escalates to on-call carers by email or an SMS gateway until one is on
the way.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser, init-system-helpers (>= 1.52), tzdata")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  ${package_files}/conffiles ${package_files}/postinst ${package_files}/prerm ${package_files}/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
include(CPack)
