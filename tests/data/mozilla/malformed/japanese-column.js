user_pref("名前", "値" x);
