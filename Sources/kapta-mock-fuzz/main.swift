import KaptaMock
