dnl kv-cflags.m4 — KV_CHECK_CFLAG(FLAG, ACTION-IF-OK): test whether $CC
dnl accepts FLAG (with -Werror so unknown warnings are caught).
AC_DEFUN([KV_CHECK_CFLAG], [
  AS_VAR_PUSHDEF([kv_var], [kv_cv_cflag_$1])
  AC_CACHE_CHECK([whether $CC accepts $1], [kv_var], [
    kv_save_CFLAGS=$CFLAGS
    CFLAGS="$CFLAGS -Werror $1"
    AC_COMPILE_IFELSE([AC_LANG_PROGRAM([], [])],
                      [AS_VAR_SET([kv_var], [yes])], [AS_VAR_SET([kv_var], [no])])
    CFLAGS=$kv_save_CFLAGS])
  AS_VAR_IF([kv_var], [yes], [$2])
  AS_VAR_POPDEF([kv_var])
])
