user_pref("a", "x\ty");
