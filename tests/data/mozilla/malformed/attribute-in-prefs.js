pref("a", 1, locked);
