// first line ends in LF
user_pref("a.lf", 1);
user_pref("a.crlf", 2);
user_pref("a.cr", 3);user_pref("a.last", "end");
