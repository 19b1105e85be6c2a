/* never closed
user_pref("a", 1);
