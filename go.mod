module nlsh

go 1.26
