// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { Base, Errors, Authorship } from "../utils/Base.t.sol";

/// @notice A platform registers alice's private prompt without alice paying gas, while eve watches the mempool.
contract RelayedRegistration_Integration_Test is Base {
    Authorship.Registration internal registration;

    function setUp() public override {
        super.setUp();
        registration = _registration(HASH);
    }

    /// @dev The relayed one-step way shows the hash in the mempool: eve's copy lands first and keeps it. This is
    /// why private content goes through commit and reveal.
    function test_RelayedRegisterBySig_LosesToACopier() external {
        bytes memory signature = _signRegistration(alicePk, registration, alice, START + 1 hours);
        _registerAs(eve, HASH);
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_AlreadyRegistered.selector, HASH, eve));
        vm.prank(relayer);
        registry.registerBySig(registration, alice, START + 1 hours, signature);
        assertEq(registry.authorOf(HASH), eve);
    }

    /// @dev The relayed commit shows only the commitment; the relayed reveal shows everything, but every copy eve
    /// can make of it loses to it.
    function test_RelayedCommitAndReveal_BeatsACopier() external {
        // 1. alice signs a commitment off-chain; the platform stores it under her name.
        bytes32 commitment = _commitment(registration, alice, SALT);
        bytes memory signature = _signCommitment(alicePk, commitment, alice, START + 1 hours);
        vm.prank(relayer);
        assertTrue(registry.commitBySig(alice, commitment, START + 1 hours, signature));

        // 2. Eve copies the pending commitBySig: a copy is a no-op, and under her own name it needs her signature.
        vm.prank(eve);
        assertFalse(registry.commitBySig(alice, commitment, START + 1 hours, signature));
        vm.expectPartialRevert(Errors.AuthorshipRegistry_InvalidSigner.selector);
        vm.prank(eve);
        registry.commitBySig(eve, commitment, START + 1 hours, signature);

        // 3. A minute later the platform sends the reveal. Eve reads hash and salt in the mempool and sends, in
        // front of it: a reveal of her own choosing (no consent, her URI), and a direct registration of the hash.
        vm.warp(START + 5 minutes);
        Authorship.Registration memory hostile = _registration(HASH);
        hostile.trainingConsent = false;
        hostile.uri = "https://eve.example";
        vm.expectPartialRevert(Errors.AuthorshipRegistry_UnknownCommitment.selector);
        vm.prank(eve);
        registry.revealFor(hostile, alice, SALT);
        _registerAs(eve, HASH);
        assertEq(registry.authorOf(HASH), eve, "eve's copy landed first");

        // 4. The platform's reveal lands: the commitment is older evidence, alice's record replaces eve's.
        vm.prank(relayer);
        assertTrue(registry.revealFor(registration, alice, SALT));
        _assertRecord(HASH, alice, START, Authorship.Kind.Prompt, true);

        // 5. Eve has nothing older to show, and the platform's retry is a no-op.
        vm.expectRevert(abi.encodeWithSelector(Errors.AuthorshipRegistry_AlreadyRegistered.selector, HASH, alice));
        vm.prank(eve);
        registry.register(HASH, uint8(Authorship.Kind.Prompt), "");
        vm.prank(relayer);
        assertFalse(registry.revealFor(registration, alice, SALT));
        _assertRecord(HASH, alice, START, Authorship.Kind.Prompt, true);
    }
}
