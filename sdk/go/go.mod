module github.com/latitude-conformance/sdk-driver-go

go 1.22

require github.com/latitudesh/latitudesh-go-sdk v1.19.3
