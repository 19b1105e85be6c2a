user_pref("a", "\uD83D\u0041");
