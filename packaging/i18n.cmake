# packaging/i18n.cmake — the message catalogues (docs/i18n.md).
#
# Each locales/LANG/tegami.po is compiled with msgfmt --check into
# BUILD/locale/LANG/LC_MESSAGES/tegami.mo, where the program in the build
# tree finds it (TG_LOCALE_DIR, read by tg_locale_dir() in
# engine/lib/base/i18n.c), and installed into PREFIX/share/locale.  Without
# msgfmt (package gettext) the build goes on, in English only.
# `make po` (tools/po.sh update) refreshes locales/tegami.pot and the .po files.
include(GNUInstallDirs)
set(TG_LOCALE_DIR "${PROJECT_BINARY_DIR}/locale")
target_compile_definitions(tegami PRIVATE GETTEXT_PACKAGE="tegami" TG_LOCALE_DIR="${TG_LOCALE_DIR}")
file(RELATIVE_PATH tg_locale_from_bin "${CMAKE_INSTALL_FULL_BINDIR}" "${CMAKE_INSTALL_FULL_LOCALEDIR}")
target_compile_definitions(tegami PRIVATE TG_LOCALE_DIR_FROM_BIN="${tg_locale_from_bin}")

find_program(TG_MSGFMT msgfmt)
file(GLOB tg_po_files CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/locales/*/tegami.po")
set(tg_mo_files "")
if(TG_MSGFMT)
  foreach(po ${tg_po_files})
    get_filename_component(lang_dir ${po} DIRECTORY)
    get_filename_component(lang ${lang_dir} NAME)
    set(mo "${TG_LOCALE_DIR}/${lang}/LC_MESSAGES/tegami.mo")
    add_custom_command(
      OUTPUT ${mo}
      COMMAND ${CMAKE_COMMAND} -E make_directory "${TG_LOCALE_DIR}/${lang}/LC_MESSAGES"
      COMMAND ${TG_MSGFMT} --check -o ${mo} ${po}
      DEPENDS ${po}
      COMMENT "Compiling the ${lang} message catalogue"
      VERBATIM)
    list(APPEND tg_mo_files ${mo})
    install(FILES ${mo} DESTINATION ${CMAKE_INSTALL_LOCALEDIR}/${lang}/LC_MESSAGES)
  endforeach()
else()
  message(WARNING "msgfmt not found: messages will be in English only (apt-get install gettext)")
endif()
add_custom_target(tegami_mo ALL DEPENDS ${tg_mo_files})
add_dependencies(tegami_cli tegami_mo)
