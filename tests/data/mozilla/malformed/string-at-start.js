user_pref("a", 1);
"b";
