user_pref1("a", 1);
