package bankly

import (
	"crypto/x509/pkix"
	"encoding/asn1"
)

type pkixName struct{ rdn pkix.RDNSequence }

func (n pkixName) String() string {
	var name pkix.Name
	name.FillFromRDNSequence(&n.rdn)
	return name.String()
}

func asn1Unmarshal(der []byte, n *pkixName) ([]byte, error) {
	return asn1.Unmarshal(der, &n.rdn)
}
