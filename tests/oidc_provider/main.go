// A small OpenID Connect provider for the tests: github.com/oauth2-proxy/mockoidc (authorization code flow, PKCE
// checked, signed ID tokens, discovery and JWKS), on a port of its own, with a second port the test tells who signs
// in next (POST /users {"subject", "email", "email_verified"}). It prints one JSON line: its issuer, client id and
// secret, and the control URL; it runs until killed.
package main

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"

	"github.com/oauth2-proxy/mockoidc"
)

type user struct {
	Subject       string `json:"subject"`
	Email         string `json:"email"`
	EmailVerified bool   `json:"email_verified"`
}

func main() {
	provider, err := mockoidc.NewServer(nil)
	if err != nil {
		fail(err)
	}
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fail(err)
	}
	if err := provider.Start(listener, nil); err != nil {
		fail(err)
	}
	control, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fail(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /users", func(w http.ResponseWriter, r *http.Request) {
		var u user
		if err := json.NewDecoder(r.Body).Decode(&u); err != nil || u.Subject == "" {
			http.Error(w, "send {\"subject\", \"email\", \"email_verified\"}", http.StatusBadRequest)
			return
		}
		provider.QueueUser(&mockoidc.MockUser{Subject: u.Subject, Email: u.Email, EmailVerified: u.EmailVerified,
			PreferredUsername: u.Email})
		w.WriteHeader(http.StatusNoContent)
	})
	config := provider.Config()
	line, _ := json.Marshal(map[string]string{"issuer": config.Issuer, "client_id": config.ClientID,
		"client_secret": config.ClientSecret, "control": "http://" + control.Addr().String()})
	fmt.Println(string(line))
	fail(http.Serve(control, mux))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
