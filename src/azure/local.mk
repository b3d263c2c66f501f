# src/azure/local.mk — build list for the azure layer: the Azure client
# library (libcurl, cJSON and OpenSSL are allowed here and in sim/ only).
noinst_LIBRARIES += src/azure/libkvazure.a
src_azure_libkvazure_a_CPPFLAGS = $(AM_CPPFLAGS) $(CURL_CFLAGS) \
	$(CJSON_CFLAGS) $(CRYPTO_CFLAGS)
src_azure_libkvazure_a_SOURCES = \
	src/azure/arm.c src/azure/arm.h \
	src/azure/arm-sub.c \
	src/azure/arm-vault.c \
	src/azure/arm-vault-life.c \
	src/azure/arm-cognitive.c src/azure/cognitive.h \
	src/azure/model-cognitive.h \
	src/azure/ops-cognitive.c \
	src/azure/arm-network.c \
	src/azure/arm-secret.c \
	src/azure/auth.c src/azure/auth.h \
	src/azure/challenge.c src/azure/challenge.h \
	src/azure/client.c src/azure/client.h \
	src/azure/cloud.c src/azure/cloud.h src/azure/cloud-tenant.c \
	src/azure/credential.c src/azure/credential.h \
	src/azure/token-store.h \
	src/azure/credential-azcli.c \
	src/azure/credential-cert.c \
	src/azure/credential-device.c src/azure/credential-device.h \
	src/azure/credential-device-parse.c \
	src/azure/credential-chain.c \
	src/azure/credential-int.h \
	src/azure/credential-mi.c \
	src/azure/credential-secret.c \
	src/azure/credential-token.c \
	src/azure/generate.c src/azure/generate.h \
	src/azure/http.c src/azure/http.h \
	src/azure/identity.c src/azure/identity.h \
	src/azure/json.c src/azure/json.h \
	src/azure/kv-secrets.c \
	src/azure/lro.c src/azure/lro.h \
	src/azure/model.c src/azure/model.h \
	src/azure/model-network.c \
	src/azure/ops.c src/azure/ops.h src/azure/ops-int.h \
	src/azure/ops-secret-write.c \
	src/azure/ops-arm-write.c \
	src/azure/ops-vault.c src/azure/ops-vault-write.c \
	src/azure/ops-network.c \
	src/azure/ops-graph.c src/azure/arm-graph.c \
	src/azure/ops-subs-graph.c \
	src/azure/request.c \
	src/azure/resolve.c src/azure/resolve.h \
	src/azure/resource.c src/azure/resource.h \
	src/azure/retry.c src/azure/retry.h \
	src/azure/url.c src/azure/url.h
