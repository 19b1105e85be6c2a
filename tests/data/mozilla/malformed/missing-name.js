user_pref(1, 2);
