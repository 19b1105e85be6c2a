user_pref("a", "\uDE00");
