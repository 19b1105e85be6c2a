user_pref("a", "\uD83D");
