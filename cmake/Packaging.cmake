# The Debian package: `cpack -G DEB` in a Release build tree gives claimaudit_<version>-1_<arch>.deb.
#
# Included at the end of the top-level CMakeLists.txt, after every target exists, so the install
# rules for the binaries can test `if(TARGET ...)`. systemd/ and docs/ install their own files;
# this file installs the binaries, the rule pack, the code-set data and the Debian documentation,
# then configures CPack: Depends computed by dpkg-shlibdeps, maintainer scripts and conffiles
# from packaging/deb/, stripped binaries. tools/dev/package-check builds, lints, installs,
# exercises and purges the result.

set(CLAIMAUDIT_DEB_RELEASE 1)
set(CLAIMAUDIT_DEB_VERSION "${PROJECT_VERSION}-${CLAIMAUDIT_DEB_RELEASE}")
set(claimaudit_deb_dir "${PROJECT_SOURCE_DIR}/packaging/deb")
set(claimaudit_deb_build_dir "${PROJECT_BINARY_DIR}/packaging")

# Binaries. claimctl's own CMakeLists installs it too (same destination, same file). Both are
# linked with full RELRO (-z relro -z now), as Debian's hardening flags would link them.
if(TARGET claimauditd)
  install(TARGETS claimauditd RUNTIME DESTINATION ${CMAKE_INSTALL_SBINDIR})
  target_link_options(claimauditd PRIVATE LINKER:-z,relro LINKER:-z,now)
endif()
if(TARGET claimctl)
  install(TARGETS claimctl RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  target_link_options(claimctl PRIVATE LINKER:-z,relro LINKER:-z,now)
endif()

# Shipped data: the default rule pack and the code-set history the daemon loads at start-up.
if(IS_DIRECTORY "${PROJECT_SOURCE_DIR}/rules/default")
  install(DIRECTORY "${PROJECT_SOURCE_DIR}/rules/default/"
          DESTINATION ${CMAKE_INSTALL_DATADIR}/claimaudit/rules
          FILES_MATCHING PATTERN "*.yaml")
endif()
# The code-set table (share/claimaudit/codeset.bin) is generated and installed by
# tools/codeset-import, which records its path in CLAIMAUDIT_CODESET_TABLE.

# /usr/share/doc/claimaudit: copyright and the compressed Debian changelog (lintian wants both).
configure_file("${claimaudit_deb_dir}/changelog.Debian.in"
               "${claimaudit_deb_build_dir}/changelog.Debian" @ONLY)
add_custom_command(
  OUTPUT "${claimaudit_deb_build_dir}/changelog.Debian.gz"
  COMMAND gzip -9 -n -c "${claimaudit_deb_build_dir}/changelog.Debian"
          > "${claimaudit_deb_build_dir}/changelog.Debian.gz"
  DEPENDS "${claimaudit_deb_build_dir}/changelog.Debian"
  COMMENT "Compressing changelog.Debian")
add_custom_target(claimaudit_deb_changelog ALL
                  DEPENDS "${claimaudit_deb_build_dir}/changelog.Debian.gz")
install(FILES "${claimaudit_deb_dir}/copyright"
              "${claimaudit_deb_build_dir}/changelog.Debian.gz"
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/claimaudit)
install(FILES "${claimaudit_deb_dir}/lintian-overrides"
        DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides RENAME claimaudit)

# CPack, DEB generator.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME claimaudit)
set(CPACK_PACKAGE_VENDOR "The claimaudit authors")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "claimaudit maintainers <claimaudit@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "audits US healthcare claims before they go to payers")
# The long description: lines under 80 columns (lintian), a blank line separates paragraphs.
set(CPACK_PACKAGE_DESCRIPTION
    "claimauditd watches drop folders for ASC X12 837P/837I, FHIR R4 Claim and
claimaudit JSON claim files, checks every diagnosis against the official
ICD-10-CM history for the claim's own dates of service and against YAML audit
rules, and records files, claims and findings in SQLite. It runs as a
hardened systemd service and answers on a local Unix socket whose users get
read, review or admin rights from their groups.

claimctl checks claim files and explains findings in-process, shows code
histories, lints and tests rule packs, and works the review queue of a
running daemon.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES TRUE)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE ${CLAIMAUDIT_DEB_RELEASE})
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "claimaudit maintainers <claimaudit@example.org>")
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://example.org/claimaudit")
# Depends: the shared libraries, as dpkg-shlibdeps computes them, plus systemd for the maintainer
# scripts' systemd-sysusers and systemd-tmpfiles (deb-systemd-helper and deb-systemd-invoke come
# from init-system-helpers, which is essential).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "systemd")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    "${claimaudit_deb_dir}/conffiles"
    "${claimaudit_deb_dir}/postinst"
    "${claimaudit_deb_dir}/prerm"
    "${claimaudit_deb_dir}/postrm")
# 0755 for the scripts, 0644 for conffiles, whatever the checkout's modes are.
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
# The build tree is the package's only input; nothing from the source's .git gets in.
set(CPACK_SOURCE_IGNORE_FILES "/\\\\.git/;/build/")

include(CPack)
