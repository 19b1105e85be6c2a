user_prefs("a", 1);
