# src/sim/local.mk — kvdeck-sim, the local Azure (needs libmicrohttpd).
if ENABLE_SIM
endif
