{{- define "pg.commonLabels" -}}
{{- range $k, $v := .Values.commonLabels }}
{{ $k }}: {{ $v | quote }}
{{- end }}
{{- end -}}

{{/* The listeners of an east-west gateway and of its remote peers: HBONE for the data plane, TLS for istiod's xDS. */}}
{{- define "pg.listeners" -}}
- name: cross-network
  port: 15008
  protocol: HBONE
  tls:
    mode: Passthrough
- name: xds-tls
  port: 15012
  protocol: TLS
  tls:
    mode: Passthrough
{{- end -}}

{{- define "pg.serviceType" -}}{{ if . }}nodeport{{ else }}loadbalancer{{ end }}{{- end -}}
