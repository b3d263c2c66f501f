# man/local.mk — manual pages.
dist_man_MANS += man/kvdeck.1
