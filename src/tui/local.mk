# src/tui/local.mk — the console (ncurses front end).
noinst_LIBRARIES += src/tui/libkvtui.a
src_tui_libkvtui_a_CPPFLAGS = $(AM_CPPFLAGS) $(CURSES_CFLAGS)
src_tui_libkvtui_a_SOURCES = \
	src/tui/action.h src/tui/action-run.c src/tui/action-secret.c \
	src/tui/action-vault.c \
	src/tui/action-network.c src/tui/action-network.h \
	src/tui/app.c src/tui/app.h \
	src/tui/cmdline.c src/tui/cmdline.h \
	src/tui/command.c \
	src/tui/draw.c src/tui/draw.h \
	src/tui/edit.c src/tui/edit.h \
	src/tui/explain.c src/tui/explain.h \
	src/tui/filter.c src/tui/filter.h \
	src/tui/form.c src/tui/form.h \
	src/tui/frame.c src/tui/frame.h \
	src/tui/keys.c src/tui/keys.h \
	src/tui/layout.c src/tui/layout.h \
	src/tui/listview.c src/tui/listview.h \
	src/tui/loop.c \
	src/tui/osc52.c src/tui/osc52.h \
	src/tui/paint.c src/tui/paint.h \
	src/tui/plansheet.c src/tui/plansheet.h \
	src/tui/plansheet-plan.c \
	src/tui/screen.c src/tui/screen.h \
	src/tui/screen-help.c \
	src/tui/screen-pending.c \
	src/tui/screen-tenant.c \
	src/tui/screen-deleted-vaults.c \
	src/tui/screen-expiring.c \
	src/tui/screen-signin.c src/tui/screen-signin.h \
	src/tui/signals.c src/tui/signals.h \
	src/tui/term.c src/tui/term.h \
	src/tui/text.c src/tui/text.h \
	src/tui/view-context.c \
	src/tui/view-deleted.c \
	src/tui/view-detail.c \
	src/tui/view-endpoints.c \
	src/tui/view-secrets.c src/tui/view-secrets.h \
	src/tui/view-vaults.c \
	src/tui/widget-dialog.c src/tui/widget-dialog.h \
	src/tui/widget-form.c src/tui/widget-form.h \
	src/tui/widget-progress.c src/tui/widget-progress.h \
	src/tui/widget-review.c src/tui/widget-review.h \
	src/tui/wizard.c src/tui/wizard.h \
	src/tui/wizard-attach.c src/tui/wizard-attach.h \
	src/tui/wizard-attach-int.h src/tui/wizard-attach-pages.c \
	src/tui/wizard-outcome.c src/tui/wizard-outcome.h \
	src/tui/wizard-rotate.c src/tui/wizard-rotate.h \
	src/tui/wizard-rotate-source.c \
	src/tui/wizard-secret.c src/tui/wizard-secret.h \
	src/tui/wizard-value.c src/tui/wizard-value.h \
	src/tui/wizard-vault.c src/tui/wizard-vault.h \
	src/tui/wizard-vault-int.h src/tui/wizard-vault-name.c \
	src/tui/wizard-vault-pages.c
