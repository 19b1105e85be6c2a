# ok
// ok
/* ok */ }
