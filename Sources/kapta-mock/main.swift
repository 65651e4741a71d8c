import KaptaMock
print("kapta-mock: not built yet")
