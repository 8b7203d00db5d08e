//! The service catalog and craftsman profiles (skills, portfolio, service area).
